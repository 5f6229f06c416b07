package dev.theta.core.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.registry.Registered;
import dev.theta.api.spi.Provider;

/** Binds every discovered provider into a {@code Map<String, XProvider>} per kind. */
public final class PluginsModule extends AbstractModule {
    private final PluginRegistry registry;

    public PluginsModule(PluginRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void configure() {
        bind(PluginRegistry.class).toInstance(registry);
        for (PluginKind kind : PluginKind.values()) {
            bindKind(kind, kind.type());
        }
    }

    private <P extends Provider> void bindKind(PluginKind kind, Class<P> type) {
        MapBinder<String, P> map = MapBinder.newMapBinder(binder(), String.class, type);
        for (Registered<?> r : registry.all(kind)) {
            map.addBinding(r.name()).toInstance(type.cast(r.provider()));
        }
    }
}
