package dev.ippools.mailgun.e2e;

import dev.ippools.mailgun.reconciler.OperatorConfig;
import dev.ippools.mailgun.runtime.OperatorRuntime;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The per-test setup the e2e classes share, for a class with {@link WithApiServer}: a fresh
 * namespace, an emulated Mailgun account whose Secret lives there, and (unless the test starts it
 * itself) the operator watching that namespace with the e2e settings. All closed after the test.
 *
 * <pre>{@code
 * @RegisterExtension final EmulatedOperator setup = EmulatedOperator.started("x");
 * }</pre>
 */
final class EmulatedOperator implements BeforeEachCallback, AfterEachCallback {

    private final String namespacePrefix;
    private final boolean startOperator;
    private String ns;
    private EmulatedAccount mailgun;
    private ApiServer api;
    private OperatorRuntime operator;

    private EmulatedOperator(String namespacePrefix, boolean startOperator) {
        this.namespacePrefix = namespacePrefix;
        this.startOperator = startOperator;
    }

    /** The operator runs from the start of each test. */
    static EmulatedOperator started(String namespacePrefix) {
        return new EmulatedOperator(namespacePrefix, true);
    }

    /** The test starts the operator itself, with {@link #start}. */
    static EmulatedOperator notStarted(String namespacePrefix) {
        return new EmulatedOperator(namespacePrefix, false);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        api = ApiServerExtension.apiServer(context);
        ns = api.newNamespace(namespacePrefix);
        mailgun = EmulatedAccount.emulatorFor(api.admin, ns);
        if (startOperator) {
            start(UnaryOperator.identity());
        }
    }

    /** Starts the operator with the e2e settings for the namespace, changed by {@code change}. */
    void start(UnaryOperator<OperatorConfig> change) {
        // a client of its own, as a deployed operator has
        operator = OperatorRuntime.start(api.newAdminClient(), change.apply(mailgun.settings(ns, Set.of(ns))));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (operator != null) {
            operator.close();
            operator = null;
        }
        if (mailgun != null) {
            mailgun.close();
            mailgun = null;
        }
    }

    String ns() {
        return ns;
    }

    EmulatedAccount mailgun() {
        return mailgun;
    }
}
