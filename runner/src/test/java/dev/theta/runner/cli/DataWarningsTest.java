package dev.theta.runner.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.theta.core.training.TrainTestData;
import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data that trains but is probably wrong is trained on with a warning: a stray label, a single class. */
class DataWarningsTest {
    @TempDir
    Path dir;

    private final Logger logger = (Logger) LoggerFactory.getLogger(TrainTestData.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void listen() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(logged);
    }

    private List<String> warnings() {
        return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aStrayLabelIsWarnedAbout() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        Path data = dir.resolve("data.csv");
        Files.writeString(data, Files.readString(data) + "0,0,0,0,0,0,99\n");
        assertEquals(0, Runs.theta("train", config.toString(), "--out", dir.resolve("o").toString()).code());
        assertTrue(warnings().stream().anyMatch(w -> w.matches("9[67] of the 100 classes have no training examples \\(3, 4, 5, 6, 7, \\.\\.\\.\\).*")),
                warnings().toString());
    }

    @Test
    void aSingleClassIsWarnedAbout() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        Path data = dir.resolve("data.csv");
        // scikit-learn's header names two classes; every row is of the first.
        Files.writeString(data, "90,6,healthy,ill\n" + Files.readString(data).replaceAll(",\\d+\n", ",0\n"));
        Files.writeString(config, Files.readString(config).replace("header: none", "header: sklearn"));
        Runs.Result r = Runs.theta("train", config.toString(), "--out", dir.resolve("o").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(warnings().stream().anyMatch(w -> w.contains("holds a single class")), warnings().toString());
    }
}
