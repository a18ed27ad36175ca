/**
 * The JOSDK reconcilers: thin orchestration of validate, map, observe, plan, execute, status. No
 * HTTP calls of their own and no diff logic: those live in the client and the planner.
 */
package dev.ippools.mailgun.reconciler;
