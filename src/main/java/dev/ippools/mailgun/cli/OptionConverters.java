package dev.ippools.mailgun.cli;

import java.time.Duration;
import picocli.CommandLine;

/** How {@code run} reads durations and the log format from flags and env variables. */
final class OptionConverters {

    private OptionConverters() {}

    /** As the emulator's durations, but a bare number is refused: is {@code 60} seconds or ms? */
    static final class UnitDuration implements CommandLine.ITypeConverter<Duration> {
        private final EmulatorCommand.DurationConverter durations = new EmulatorCommand.DurationConverter();

        @Override
        public Duration convert(String value) {
            if (value.trim().matches("\\d+")) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' needs a unit, e.g. " + value.trim() + "s or " + value.trim() + "ms");
            }
            return durations.convert(value);
        }
    }

    /** {@code text} or {@code json}, in any case. */
    static final class LogFormat implements CommandLine.ITypeConverter<Logging.Format> {
        @Override
        public Logging.Format convert(String value) {
            for (Logging.Format format : Logging.Format.values()) {
                if (format.name().equalsIgnoreCase(value.trim())) {
                    return format;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a log format: use text or json");
        }
    }
}
