package dev.ippools.mailgun.client.http;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;

/**
 * DEBUG log of every exchange as it goes over the wire: method, URL, headers with credentials
 * replaced, status and time. Bodies are not logged.
 */
final class RedactingLoggingInterceptor implements Interceptor {

    static final String REDACTED = "[redacted]";

    private static final Set<String> SECRET_HEADERS = Set.of(
            "authorization",
            "proxy-authorization",
            "cookie",
            "set-cookie",
            // the subaccount id comes from the account Secret too
            "x-mailgun-on-behalf-of");

    private final Logger log;

    RedactingLoggingInterceptor(Logger log) {
        this.log = log;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (!log.isDebugEnabled()) {
            return chain.proceed(request);
        }
        log.debug("--> {} {} {}", request.method(), request.url(), redact(request.headers()));
        long started = System.nanoTime();
        Response response;
        try {
            response = chain.proceed(request);
        } catch (IOException e) {
            log.debug("<-- {} {} failed: {}", request.method(), request.url(), e.toString());
            throw e;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        log.debug(
                "<-- {} {} {} ({} ms) {}",
                response.code(),
                request.method(),
                request.url(),
                millis,
                redact(response.headers()));
        return response;
    }

    static String redact(Headers headers) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (i > 0) {
                out.append(", ");
            }
            out.append(name).append(": ");
            out.append(SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? REDACTED : headers.value(i));
        }
        return out.append(']').toString();
    }
}
