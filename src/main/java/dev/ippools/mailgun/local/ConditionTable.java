package dev.ippools.mailgun.local;

import java.util.ArrayList;
import java.util.List;

/** Renders {@link ResourceRow}s as a kubectl-style table with aligned columns. */
public final class ConditionTable {

    static final List<String> HEADER = List.of("KIND", "NAME", "READY", "REASON", "SYNCED", "POOL-ID");

    private ConditionTable() {}

    /** The table, one line per row after the header; empty values show as {@code -}. */
    public static String render(List<ResourceRow> rows) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(HEADER);
        for (ResourceRow r : rows) {
            lines.add(List.of(r.kind(), r.name(), r.ready(), r.reason(), r.synced(), r.poolId()).stream()
                    .map(v -> v.isEmpty() ? "-" : v)
                    .toList());
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                text.append(line.get(i));
                if (i < line.size() - 1) {
                    text.append(" ".repeat(widths[i] - line.get(i).length() + 3));
                }
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
