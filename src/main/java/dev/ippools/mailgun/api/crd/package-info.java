/** Build-time tooling for the generated CRDs; not used by the running operator. */
package dev.ippools.mailgun.api.crd;
