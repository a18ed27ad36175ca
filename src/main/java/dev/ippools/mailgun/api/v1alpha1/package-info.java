/**
 * The custom resources of API group {@code mailgun.ippools.dev}, version {@code v1alpha1}: data and
 * schema annotations only. The CRDs in {@code crds/} are generated from these classes.
 */
package dev.ippools.mailgun.api.v1alpha1;
