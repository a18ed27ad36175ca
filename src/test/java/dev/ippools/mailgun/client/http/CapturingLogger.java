package dev.ippools.mailgun.client.http;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An slf4j logger that keeps the formatted lines; every level is on unless debug is switched off.
 */
final class CapturingLogger extends LegacyAbstractLogger {

    private final List<String> lines = new ArrayList<>();
    private final boolean debugEnabled;

    CapturingLogger(boolean debugEnabled) {
        this.name = "capturing";
        this.debugEnabled = debugEnabled;
    }

    CapturingLogger() {
        this(true);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized String all() {
        return String.join("\n", lines);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected synchronized void handleNormalizedLoggingCall(
            Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        String text = MessageFormatter.basicArrayFormat(pattern, arguments);
        lines.add(level + " " + text + (throwable == null ? "" : " " + throwable));
    }

    @Override
    public boolean isTraceEnabled() {
        return debugEnabled;
    }

    @Override
    public boolean isDebugEnabled() {
        return debugEnabled;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }
}
