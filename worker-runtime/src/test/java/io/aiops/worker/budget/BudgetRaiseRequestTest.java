package io.aiops.worker.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BudgetRaiseRequestTest {

    @Test
    void aLimitGivenAsNumberOrStringIsReadExactly() {
        BudgetRaiseRequest fromNumber = BudgetRaiseRequest.fromVariables(
                "{\"budgetId\":\"support-daily\",\"newLimitUsd\":25.123456789012,\"approvedBy\":\"dana\"}");
        BudgetRaiseRequest fromString = BudgetRaiseRequest.fromVariables(
                "{\"budgetId\":\"support-daily\",\"newLimitUsd\":\"0.1\",\"approvedBy\":\" dana \","
                        + "\"approvalNote\":\"launch week\"}");

        assertThat(fromNumber.newLimitUsd()).isEqualTo(new BigDecimal("25.123456789012"));
        assertThat(fromNumber.approvalNote()).isNull();
        assertThat(fromString.newLimitUsd()).isEqualTo(new BigDecimal("0.1"));
        assertThat(fromString.approvedBy()).isEqualTo("dana");
        assertThat(fromString.approvalNote()).isEqualTo("launch week");
    }

    @ParameterizedTest(name = "{0} is refused naming {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"newLimitUsd\":\"10\",\"approvedBy\":\"dana\"}                                   | budgetId",
                "{\"budgetId\":\"b\",\"newLimitUsd\":\"10\"}                                        | approvedBy",
                "{\"budgetId\":\"b\",\"newLimitUsd\":\"10\",\"approvedBy\":\"  \"}                  | approvedBy",
                "{\"budgetId\":\"b\",\"approvedBy\":\"dana\"}                                       | newLimitUsd",
                "{\"budgetId\":\"b\",\"newLimitUsd\":\"12abc\",\"approvedBy\":\"dana\"}             | newLimitUsd",
                "{\"budgetId\":\"b\",\"newLimitUsd\":-1,\"approvedBy\":\"dana\"}                    | newLimitUsd",
                "{\"budgetId\":\"b\",\"newLimitUsd\":\"0\",\"approvedBy\":\"dana\"}                 | newLimitUsd",
                "{\"budgetId\":\"b\",\"newLimitUsd\":\"0.0000000000001\",\"approvedBy\":\"dana\"}   | newLimitUsd",
                "{\"budgetId\":42,\"newLimitUsd\":\"10\",\"approvedBy\":\"dana\"}                   | budgetId",
                "{\"budgetId\":\"b\",\"newLimitUsd\":\"10\",\"approvedBy\":\"da\\u0000na\"}           | approvedBy",
                "{\"budgetId\":\"b\",\"newLimitUsd\":\"10\",\"approvedBy\":\"da\\ud800na\"}           | approvedBy",
                "{\"budgetId\":\"b\",\"newLimitUsd\":\"10\",\"approvedBy\":\"da\\u202ena\"}           | approvedBy"
            })
    void missingOrMalformedInputsAreRefusedAsInvalidNamingTheVariable(String variables, String field) {
        assertThatThrownBy(() -> BudgetRaiseRequest.fromVariables(variables.strip()))
                .isInstanceOfSatisfying(
                        BudgetRaiseRefused.class, e -> assertThat(e.code()).isEqualTo(BudgetRaiseRefused.INVALID))
                .hasMessageContaining(field);
    }

    @Test
    void anApproverNameLongerThanTheAuditKeepsIsRefused() {
        String name = "d".repeat(201);

        assertThatThrownBy(() -> BudgetRaiseRequest.fromVariables(
                        "{\"budgetId\":\"b\",\"newLimitUsd\":\"10\",\"approvedBy\":\"" + name + "\"}"))
                .isInstanceOfSatisfying(
                        BudgetRaiseRefused.class, e -> assertThat(e.code()).isEqualTo(BudgetRaiseRefused.INVALID))
                .hasMessageContaining("approvedBy");
        assertThat(BudgetRaiseRequest.fromVariables("{\"budgetId\":\"b\",\"newLimitUsd\":\"10\",\"approvedBy\":\""
                                + "é".repeat(200) + "\"}")
                        .approvedBy())
                .hasSize(200);
    }
}
