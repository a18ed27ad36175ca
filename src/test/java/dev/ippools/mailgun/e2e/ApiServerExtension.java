package dev.ippools.mailgun.e2e;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The API-server setup every e2e class shares ({@link WithApiServer}): started before the class's
 * own {@code @BeforeAll} methods, so they may use it, and closed after its {@code @AfterAll}.
 */
final class ApiServerExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ApiServerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        Class<?> testClass = context.getRequiredTestClass();
        boolean crds = AnnotationSupport.findAnnotation(testClass, WithApiServer.class)
                .map(WithApiServer::crds)
                .orElse(true);
        Field field = apiServerField(testClass);
        ApiServer api = ApiServer.start();
        context.getStore(STORE).put(ApiServer.class, api);
        if (crds) {
            api.installCrds();
        }
        field.set(null, api);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ApiServer api = context.getStore(STORE).remove(ApiServer.class, ApiServer.class);
        if (api != null) {
            api.close();
        }
    }

    /** The class's API server, for extensions that run around its tests. */
    static ApiServer apiServer(ExtensionContext context) {
        // the store of a test's context falls back to its class's
        ApiServer api = context.getStore(STORE).get(ApiServer.class, ApiServer.class);
        if (api == null) {
            throw new IllegalStateException(context.getRequiredTestClass().getSimpleName() + " needs @WithApiServer");
        }
        return api;
    }

    private static Field apiServerField(Class<?> testClass) {
        List<Field> fields = Arrays.stream(testClass.getDeclaredFields())
                .filter(f -> f.getType() == ApiServer.class && Modifier.isStatic(f.getModifiers()))
                .toList();
        if (fields.size() != 1) {
            throw new IllegalStateException(
                    testClass.getSimpleName() + " needs exactly one static ApiServer field for @WithApiServer");
        }
        Field field = fields.get(0);
        field.setAccessible(true);
        return field;
    }
}
