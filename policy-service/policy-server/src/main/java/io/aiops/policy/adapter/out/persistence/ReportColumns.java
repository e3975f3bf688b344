package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.DECISIONS;

import io.aiops.policy.domain.SpendDimension;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** The column each report dimension groups by, stated once for every report over the ledger. */
final class ReportColumns {

    private ReportColumns() {}

    /** The column of {@code dimension}; model and provider are the given ones (an attempt's, or a call's). */
    static Field<String> of(SpendDimension dimension, Field<String> model, Field<String> provider) {
        return switch (dimension) {
            case PROJECT -> DECISIONS.PROJECT;
            case WORKFLOW -> DECISIONS.BPMN_PROCESS_ID;
            case PROCESS_DEFINITION -> DECISIONS.PROCESS_DEFINITION_KEY.cast(SQLDataType.VARCHAR);
            case ELEMENT -> DECISIONS.ELEMENT_ID;
            case MODEL -> model;
            case PROVIDER -> provider;
            // name@version; null for calls not built from a registered prompt (|| keeps the null)
            case PROMPT -> DSL.field("{0} || '@' || {1}", String.class, CALLS.PROMPT_NAME, CALLS.PROMPT_VERSION);
            // calendar days in UTC, as 2026-11-26
            case DAY -> DSL.field("to_char({0} at time zone 'UTC', 'YYYY-MM-DD')", String.class, CALLS.CREATED_AT);
        };
    }
}
