package dev.ippools.mailgun.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The one Secret informer of the operator: credentials of many sibling resources resolve from its
 * cache with no API calls, and a changed Secret wakes the resources that use it. A Secret outside
 * the watched namespaces (the default account's, say) is read directly.
 */
public final class SecretLookup implements BiFunction<String, String, Secret>, AutoCloseable {

  private final KubernetesClient client;
  private final Set<String> namespaces;
  private final List<SharedIndexInformer<Secret>> informers = new ArrayList<>();
  private final List<Consumer<Secret>> listeners = new CopyOnWriteArrayList<>();

  /** @param namespaces the watched namespaces; empty means all */
  public SecretLookup(KubernetesClient client, Set<String> namespaces) {
    this.client = client;
    this.namespaces = Set.copyOf(namespaces);
  }

  public void start() {
    ResourceEventHandler<Secret> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(Secret s) {
        fire(s);
      }

      @Override
      public void onUpdate(Secret before, Secret after) {
        if (!Objects.equals(before.getData(), after.getData())
            || !Objects.equals(before.getStringData(), after.getStringData())) {
          fire(after);
        }
      }

      @Override
      public void onDelete(Secret s, boolean unknownFinalState) {
        fire(s);
      }
    };
    if (namespaces.isEmpty()) {
      informers.add(client.secrets().inAnyNamespace().inform(handler));
    } else {
      namespaces.forEach(ns -> informers.add(client.secrets().inNamespace(ns).inform(handler)));
    }
  }

  /** Called for every added, changed or deleted Secret. */
  public void onChange(Consumer<Secret> listener) {
    listeners.add(listener);
  }

  private void fire(Secret s) {
    listeners.forEach(l -> l.accept(s));
  }

  @Override
  public Secret apply(String namespace, String name) {
    if (!informers.isEmpty() && (namespaces.isEmpty() || namespaces.contains(namespace))) {
      String key = Cache.namespaceKeyFunc(namespace, name);
      for (SharedIndexInformer<Secret> informer : informers) {
        Secret s = informer.getStore().getByKey(key);
        if (s != null) {
          return s;
        }
      }
      return null;
    }
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    informers.clear();
  }
}
