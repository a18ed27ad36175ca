package dev.ippools.mailgun.preview;

import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.ResourceKey;

/**
 * The plan of one manifest.
 *
 * @param source where the manifest came from ({@code path#document})
 */
public record ResourcePlan(String kind, ResourceKey key, String source, Plan plan) {}
