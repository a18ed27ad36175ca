package dev.ippools.mailgun.client.http;

import dev.ippools.mailgun.client.WriteGate;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Runs after the {@link RetryInterceptor}, so the {@link WriteGate} is consulted right before
 * every attempt of every write, retries included.
 */
final class FencingInterceptor implements Interceptor {

    private final WriteGate gate;

    FencingInterceptor(WriteGate gate) {
        this.gate = gate;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Endpoint endpoint = chain.request().tag(Endpoint.class);
        if (endpoint != null && !"GET".equals(endpoint.method())) {
            gate.check(endpoint.method(), endpoint.toString());
        }
        return chain.proceed(chain.request());
    }
}
