package io.aiops.sandbox;

import io.aiops.simulator.FaultRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --faults} specs of the sandbox, turned into simulator fault rules. A spec is
 * {@code <target>:<kind>[x<count>|@<percent>%]}, several separated by commas; the target {@code primary} is
 * {@value LocalStack#PRIMARY_MODEL} (the first candidate of the sample routing, which every sample instance calls
 * first), {@code all} is every model, anything else a model name (a trailing {@code *} matches a prefix).
 */
final class ChaosFaults {

    private ChaosFaults() {}

    /**
     * The fault rules of the specs.
     *
     * @throws IllegalArgumentException naming the spec that does not parse
     */
    static List<FaultRule> parse(List<String> specs) {
        List<FaultRule> rules = new ArrayList<>();
        for (String option : specs == null ? List.<String>of() : specs) {
            for (String spec : option.split(",")) {
                String trimmed = spec.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int colon = trimmed.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException(
                            "bad fault spec '" + trimmed
                                    + "': expected <primary|all|model>:<kind>[x<count>|@<percent>%], e.g. primary:503 or all:429@50%");
                }
                String target = trimmed.substring(0, colon);
                String model = switch (target) {
                    case "primary" -> LocalStack.PRIMARY_MODEL;
                    case "all" -> "*";
                    default -> target;
                };
                rules.add(FaultRule.parse(model + trimmed.substring(colon)));
            }
        }
        return rules;
    }
}
