package dev.ippools.mailgun.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class gets one real API server ({@link ApiServer}) for all its tests, in its static
 * {@code ApiServer} field, with the committed CRDs installed unless {@code crds} is false; closed
 * after the last test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ApiServerExtension.class)
@interface WithApiServer {
    boolean crds() default true;
}
