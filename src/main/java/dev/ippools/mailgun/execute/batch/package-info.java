/**
 * The batching writer: links queued per pool and sent as one {@code PATCH /v3/ip_pools/{id}} in
 * the account's spare rate-limit capacity, with a ticket per domain. Handed link steps by {@code
 * PlanExecutor}; owned per account by {@code account.BindingLinks}, which reads the tickets.
 */
package dev.ippools.mailgun.execute.batch;
