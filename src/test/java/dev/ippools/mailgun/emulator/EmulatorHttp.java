package dev.ippools.mailgun.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Plain HTTP calls to the emulator, as an SDK would make them. Immutable. */
final class EmulatorHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .readTimeout(Duration.ofSeconds(20))
            .build();

    /** A response with its body read. */
    record Reply(int status, String contentType, String body, Headers headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String message() {
            return json().path("message").asText();
        }
    }

    private final String baseUrl;
    private final String apiKey;
    private final String onBehalfOf;

    EmulatorHttp(String baseUrl, String apiKey, String onBehalfOf) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.onBehalfOf = onBehalfOf;
    }

    EmulatorHttp as(String subaccountId) {
        return new EmulatorHttp(baseUrl, apiKey, subaccountId);
    }

    EmulatorHttp withKey(String key) {
        return new EmulatorHttp(baseUrl, key, onBehalfOf);
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    Reply put(String path) {
        return send("PUT", path, RequestBody.create(new byte[0], null));
    }

    Reply delete(String path) {
        return send("DELETE", path, null);
    }

    /** application/x-www-form-urlencoded, name/value pairs (names may repeat). */
    Reply form(String method, String path, String... pairs) {
        FormBody.Builder body = new FormBody.Builder();
        for (int i = 0; i < pairs.length; i += 2) {
            body.add(pairs[i], pairs[i + 1]);
        }
        return send(method, path, body.build());
    }

    /** multipart/form-data, name/value pairs (names may repeat). */
    Reply multipart(String method, String path, String... pairs) {
        MultipartBody.Builder body = new MultipartBody.Builder().setType(MultipartBody.FORM);
        for (int i = 0; i < pairs.length; i += 2) {
            body.addFormDataPart(pairs[i], pairs[i + 1]);
        }
        return send(method, path, body.build());
    }

    Reply json(String method, String path, String json) {
        return send(method, path, RequestBody.create(json, MediaType.get("application/json")));
    }

    Reply send(String method, String path, RequestBody body) {
        Request.Builder request = new Request.Builder().url(baseUrl + path).method(method, body);
        if (apiKey != null) {
            request.header("Authorization", Credentials.basic("api", apiKey));
        }
        if (onBehalfOf != null) {
            request.header("X-Mailgun-On-Behalf-Of", onBehalfOf);
        }
        return execute(request.build());
    }

    static Reply execute(Request request) {
        try (Response response = CLIENT.newCall(request).execute()) {
            String type = response.header("Content-Type");
            return new Reply(response.code(), type, response.body().string(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
