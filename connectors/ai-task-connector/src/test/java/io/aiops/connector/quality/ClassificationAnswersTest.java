package io.aiops.connector.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A classifying task's answer becomes exactly one declared category or the fallback, so a gateway after it never sees
 * free text; the category_valid check still says whether the model named a category itself.
 */
class ClassificationAnswersTest {

    private static AnswerRules classify(Object categories, String fallback) {
        return AnswerRules.of(AnswerRulesTest.task(null, categories, fallback, null, null, null));
    }

    private static String category(AnswerRules rules, String answer) {
        return rules.check(answer, "stop", 1).category();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "billing",
                "Billing.",
                " BILLING! ",
                "\"billing\"",
                "**Billing**",
                "`billing`;",
                "“Billing”",
                "«billing»…",
                "billing\n",
                "\uFEFFbilling\u200B",
                "billing\u0000",
                "\tbilling\r\n",
                "ｂｉｌｌｉｎｇ",
                "Billing?"
            })
    void anAnswerNamingACategoryInAnyDressIsThatCategory(String answer) {
        AnswerRules rules = classify("billing, technical, other", "other");

        CheckedAnswer checked = rules.check(answer, "stop", 1);

        assertThat(checked.category()).isEqualTo("billing");
        assertThat(checked.quality()).containsEntry("category_valid", true);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "shipping",
                "billing or technical",
                "Category: billing",
                "billing, because the invoice is wrong",
                "bill\u0000ing",
                "billing\uDC00",
                "\uD800",
                "\uD83D",
                "",
                "   ",
                "...",
                "\u0000"
            })
    void anAnswerNamingNoCategoryIsTheFallbackAndFailsTheCheck(String answer) {
        AnswerRules rules = classify("billing, technical, other", "unknown");

        CheckedAnswer checked = rules.check(answer, "stop", 1);

        assertThat(checked.category()).isEqualTo("unknown");
        assertThat(checked.quality()).containsEntry("category_valid", false);
    }

    @Test
    void noAnswerAtAllIsTheFallbackToo() {
        assertThat(category(classify(List.of("billing", "other"), "other"), null))
                .isEqualTo("other");
    }

    @Test
    void withoutAFallbackAnAnswerNamingNoCategoryHasNoCategory() {
        AnswerRules rules = classify("billing, technical", null);

        CheckedAnswer checked = rules.check("shipping", "stop", 1);

        assertThat(checked.category()).isNull();
        assertThat(checked.quality()).containsEntry("category_valid", false);
        assertThat(classify("billing, technical", "   ").fallbackCategory()).isNull();
    }

    @Test
    void aCategoryThatIsAPrefixOfAnotherIsNotConfusedWithIt() {
        AnswerRules rules = classify("bill, billing, billing-dispute", "other");

        assertThat(category(rules, "Billing.")).isEqualTo("billing");
        assertThat(category(rules, "bill")).isEqualTo("bill");
        assertThat(category(rules, "billing-dispute")).isEqualTo("billing-dispute");
        assertThat(category(rules, "bil")).isEqualTo("other");
        assertThat(category(rules, "billings")).isEqualTo("other");
    }

    @Test
    void theCategoryIsSpelledAsDeclaredAndSoIsAFallbackThatIsOneOfThem() {
        AnswerRules rules = classify("Billing, Technical Support, Other", "other");

        assertThat(category(rules, "billing")).isEqualTo("Billing");
        assertThat(category(rules, "technical   support.")).isEqualTo("Technical Support");
        assertThat(category(rules, "Technical\nSupport")).isEqualTo("Technical Support");
        assertThat(category(rules, "refund")).isEqualTo("Other");
        assertThat(rules.fallbackCategory()).isEqualTo("Other");
    }

    @Test
    void categoriesBeyondAsciiAndUnpairedSurrogatesAreComparedNotThrown() {
        AnswerRules rules = classify(List.of("🔥 urgent", "Straße", "\uD800x"), "normal");

        assertThat(category(rules, "🔥 URGENT!")).isEqualTo("🔥 urgent");
        assertThat(category(rules, "straße")).isEqualTo("Straße");
        assertThat(category(rules, "\uD800X")).isEqualTo("\uD800x");
        assertThat(category(rules, "\uD800")).isEqualTo("normal");
    }

    @Test
    void declaredNamesThatAreOnlyPunctuationOrRepeatedAreDropped() {
        AnswerRules rules = classify("billing, Billing, \"\", ..., ,other", "other");

        assertThat(rules.categories()).containsExactly("billing", "other");
        // an empty answer must not match a name that was only quotes or dots
        assertThat(rules.check("", "stop", 1).quality()).containsEntry("category_valid", false);
    }

    @Test
    void aFallbackWithoutCategoriesIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> classify(null, "other"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fallbackCategory 'other' is given, but no categories are declared");
        assertThatThrownBy(() -> classify(" , ", "other")).hasMessageContaining("no categories are declared");
    }

    @Test
    void withoutCategoriesTheFallbackIsNotNeededAndNoCategoryIsRead() {
        CheckedAnswer checked = classify(null, null).check("billing", "stop", 1);

        assertThat(checked.category()).isNull();
        assertThat(checked.quality()).doesNotContainKey("category_valid");
    }
}
