package dev.theta.runner.cli;

import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Range;
import dev.theta.api.registry.PluginException;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginProblem;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.registry.Registered;
import dev.theta.core.plugins.PluginDirectories;
import dev.theta.runner.plugins.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code theta plugins}: every provider with kind, name, source, version and description, broken ones marked;
 * {@code theta plugins NAME}: the options of the providers named NAME.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the plugins (built in and from plugin jars), or show the options of one.")
public final class PluginsCommand implements Callable<Integer> {
    static final String BROKEN = "BROKEN";

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Show this plugin's options.")
    String name;

    @Override
    public Integer call() {
        PluginRegistry registry = PluginDirectories.registry();
        if (name == null) {
            list(registry);
        } else {
            show(registry, name);
        }
        return 0;
    }

    private static void list(PluginRegistry registry) {
        TextTable table = new TextTable("KIND", "NAME", "SOURCE", "VERSION", "DESCRIPTION");
        for (PluginKind kind : PluginKind.values()) {
            for (Registered<?> r : registry.all(kind)) {
                table.row(kind.label(), r.name(), r.source(), r.version(), r.provider().description());
            }
        }
        for (PluginProblem p : registry.problems()) {
            table.row(p.kind() == null ? "file" : p.kind().label(), p.name() == null ? "?" : p.name(), p.source(), "-",
                    BROKEN + ": " + (p.className() == null ? "" : p.className() + ": ") + p.message());
        }
        table.print(System.out);
    }

    private static void show(PluginRegistry registry, String name) {
        List<Registered<?>> found = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            registry.find(kind, name).ifPresent(found::add);
        }
        if (found.isEmpty()) {
            for (PluginKind kind : PluginKind.values()) {
                String reason = registry.brokenReason(kind, name);
                if (reason != null) {
                    throw new PluginException(reason);
                }
            }
            throw new PluginException("no plugin named '" + name + "'; theta plugins lists them");
        }
        for (Registered<?> r : found) {
            System.out.println(r.kind().label() + " '" + r.name() + "' (" + r.source() + ", version " + r.version() + "): "
                    + r.provider().description());
            OptionSchema schema = r.provider().options();
            if (schema.options().isEmpty()) {
                System.out.println("  no options");
                continue;
            }
            TextTable table = new TextTable("  OPTION", "TYPE", "DEFAULT", "RANGE", "DOC");
            for (Option o : schema.options()) {
                String range = o.range() == null || o.range() == Range.ANY ? (o.choices().isEmpty() ? "-" : String.join("|", o.choices())) : o.range().toString();
                String dflt = o.defaultValue() != null ? String.valueOf(o.defaultValue()) : o.required() ? "(required)" : "(none)";
                table.row("  " + o.name(), o.type().label(), dflt, range, o.doc());
            }
            table.print(System.out);
        }
    }
}
