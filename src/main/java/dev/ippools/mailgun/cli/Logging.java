package dev.ippools.mailgun.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.util.StatusPrinter2;
import java.net.URL;
import java.util.Locale;
import java.util.Set;
import org.slf4j.LoggerFactory;

/** Loads the bundled {@code logback.xml} with the format and level the run command was given. */
final class Logging {

    /** {@code text}: one readable line per event; {@code json}: one JSON object per line. */
    enum Format {
        TEXT,
        JSON
    }

    static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    /** The logback.xml properties that pick the appender and the root level. */
    static final String FORMAT_PROPERTY = "LOG_FORMAT";

    static final String LEVEL_PROPERTY = "LOG_LEVEL";

    private Logging() {}

    static boolean isLevel(String level) {
        return LEVELS.contains(level.toLowerCase(Locale.ROOT));
    }

    /**
     * Replaces whatever configuration logback found at startup. Context properties win over system
     * properties and the environment in logback.xml's {@code ${...}} lookups.
     */
    static void configure(Format format, String level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        configure(context, Logging.class.getResource("/logback.xml"), format, level);
    }

    static void configure(LoggerContext context, URL config, Format format, String level) {
        context.reset();
        context.putProperty(FORMAT_PROPERTY, format.name().toLowerCase(Locale.ROOT));
        context.putProperty(LEVEL_PROPERTY, level.toLowerCase(Locale.ROOT));
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            // logback reports the details through its status messages, printed below.
        }
        new StatusPrinter2().printInCaseOfErrorsOrWarnings(context);
    }
}
