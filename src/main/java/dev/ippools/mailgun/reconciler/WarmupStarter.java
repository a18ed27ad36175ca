package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.mapping.PoolAnnotations;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and cancels the Mailgun warm-ups of {@code spec.warmup: Start}, each at most once: the IP
 * is recorded in the {@value ApiConstants#WARMUPS_STARTED_ANNOTATION} annotation with optimistic
 * locking before the start call (like the create intent), and taken out of it before a cancel. A
 * crash after the record leaves an IP recorded and never started twice; one whose start surely
 * did not reach Mailgun is taken out again so a later reconcile may start it.
 */
final class WarmupStarter {

  private static final Logger log = LoggerFactory.getLogger(WarmupStarter.class);

  private final EventRecorder events;

  WarmupStarter(EventRecorder events) {
    this.events = events;
  }

  /**
   * Starts {@code toStart} and cancels {@code toCancel}; returns an outcome only when Mailgun
   * rejected a call. Throws a transient failure for the reconcile to be retried.
   */
  Optional<Outcome> apply(IpPool pool, List<String> toStart, List<String> toCancel,
      AccountState account, Context<IpPool> context) {
    for (String ip : toStart) {
      if (!record(pool, context, p -> {
        if (PoolAnnotations.warmupsStarted(p).contains(ip)) {
          return null; // another reconcile recorded it since this one read the pool
        }
        PoolAnnotations.markWarmupStarted(p, ip);
        return p;
      })) {
        continue;
      }
      try {
        account.client().startWarmup(ip);
        log.info("IpPool {}: started the Mailgun warm-up of IP {}", name(pool), ip);
        events.normal(pool, "WarmupStarted", "Started the Mailgun warm-up of IP " + ip);
      } catch (MailgunException e) {
        if (!CreateOutcome.unclear(e)) {
          // Mailgun surely did not start it: forget the record so it may be started later
          record(pool, context, p -> {
            PoolAnnotations.forgetWarmupStarted(p, ip);
            return p;
          });
        }
        if (e.isTransient()) {
          throw e;
        }
        return Optional.of(Outcome.warmupRejected("start the warm-up of IP " + ip, e));
      }
    }
    for (String ip : toCancel) {
      if (!record(pool, context, p -> {
        if (!PoolAnnotations.warmupsStarted(p).contains(ip)) {
          return null; // cancelled (or never started) by an earlier reconcile
        }
        PoolAnnotations.forgetWarmupStarted(p, ip);
        return p;
      })) {
        continue;
      }
      try {
        account.client().cancelWarmup(ip);
        log.info("IpPool {}: cancelled the Mailgun warm-up of IP {} it had started", name(pool),
            ip);
        events.normal(pool, "WarmupCancelled",
            "Cancelled the Mailgun warm-up of IP " + ip + ", no longer listed in spec.ips");
      } catch (MailgunException e) {
        if (e instanceof MailgunApiException a && a.isNotFound()) {
          continue; // it ended or was cancelled meanwhile
        }
        if (e.isTransient()) {
          throw e;
        }
        return Optional.of(Outcome.warmupRejected("cancel the warm-up of IP " + ip, e));
      }
    }
    return Optional.empty();
  }

  /**
   * Changes the annotations of the latest IpPool and writes them with its resourceVersion (409 if
   * anything changed meanwhile, and the reconcile starts over). False when {@code change} says
   * there is nothing to write.
   */
  private static boolean record(IpPool pool, Context<IpPool> context,
      UnaryOperator<IpPool> change) {
    IpPool latest = context.getClient().resources(IpPool.class)
        .inNamespace(pool.getMetadata().getNamespace())
        .withName(pool.getMetadata().getName())
        .get();
    if (latest == null) {
      return false;
    }
    latest.setStatus(null);
    IpPool changed = change.apply(latest);
    if (changed == null) {
      return false;
    }
    IpPool written = context.getClient().resource(changed).update();
    Map<String, String> annotations = written.getMetadata().getAnnotations();
    pool.getMetadata().setAnnotations(annotations);
    pool.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
    return true;
  }

  private static String name(IpPool pool) {
    return pool.getMetadata().getNamespace() + "/" + pool.getMetadata().getName();
  }
}
