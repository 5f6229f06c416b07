package dev.theta.datasets;

import dev.theta.api.options.Option;
import dev.theta.api.spi.DatasetProvider;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetProviderRegistrationTest {

    @Test
    void bothProvidersAreFoundByServiceLoader() {
        Map<String, Class<?>> byName = ServiceLoader.load(DatasetProvider.class).stream()
                .collect(Collectors.toMap(p -> p.get().name(), ServiceLoader.Provider::type));
        assertEquals(IdxDatasetProvider.class, byName.get("idx"));
        assertEquals(CsvDatasetProvider.class, byName.get("csv"));
    }

    @Test
    void optionsDescribeThemselves() {
        for (DatasetProvider p : new DatasetProvider[]{new IdxDatasetProvider(), new CsvDatasetProvider()}) {
            assertTrue(!p.description().isBlank());
            for (Option o : p.options().options()) {
                assertTrue(!o.doc().isBlank(), p.name() + "." + o.name());
            }
        }
        assertTrue(new IdxDatasetProvider().options().get("images").required());
        assertEquals(true, new IdxDatasetProvider().options().get("scale").defaultValue());
        assertEquals("auto", new CsvDatasetProvider().options().get("header").defaultValue());
    }
}
