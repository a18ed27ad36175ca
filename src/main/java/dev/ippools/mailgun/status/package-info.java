/**
 * Status building: the next conditions from the previous ones and equality that ignores timestamps.
 * Uses the API types and fabric8 model classes only: no Kubernetes client, JOSDK or Mailgun code.
 */
package dev.ippools.mailgun.status;
