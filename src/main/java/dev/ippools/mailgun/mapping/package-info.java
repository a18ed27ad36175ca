/**
 * Custom resources and Secrets to the planner's plain records and to Mailgun credentials. Shared by
 * the reconcilers and the {@code plan} command; knows Kubernetes model types but not JOSDK.
 */
package dev.ippools.mailgun.mapping;
