package dev.ippools.mailgun.client.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;

/** Form fields in order; lists become repeated fields, never comma-joined. */
final class Form {

    private final List<Map.Entry<String, String>> fields = new ArrayList<>();

    Form add(String name, String value) {
        fields.add(Map.entry(name, value));
        return this;
    }

    void addIfPresent(String name, String value) {
        if (value != null && !value.isEmpty()) {
            add(name, value);
        }
    }

    void addAll(String name, List<String> values) {
        for (String value : ResponseBodies.nullToEmpty(values)) {
            add(name, RequestParams.requireText(value, name));
        }
    }

    boolean isEmpty() {
        return fields.isEmpty();
    }

    /** multipart/form-data, as Mailgun's OpenAPI declares for its forms. */
    RequestBody multipart() {
        MultipartBody.Builder body = new MultipartBody.Builder().setType(MultipartBody.FORM);
        fields.forEach(f -> body.addFormDataPart(f.getKey(), f.getValue()));
        return body.build();
    }

    RequestBody urlEncoded() {
        FormBody.Builder body = new FormBody.Builder(UTF_8);
        fields.forEach(f -> body.add(f.getKey(), f.getValue()));
        return body.build();
    }
}
