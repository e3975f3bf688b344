package io.aiops.policy.api;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * An identifier or name (project, process, element, key, tag, provider, model): at most {@link RequestLimits#MAX_NAME}
 * characters, and no control characters (NUL, line breaks, escape sequences) or unpaired surrogates, which would be
 * mangled or refused by the database and make log lines and reports lie. Free text (prompts, answers) is never a name.
 */
@Documented
@Constraint(validatedBy = {})
@Target({FIELD, METHOD, PARAMETER, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
@Size(max = RequestLimits.MAX_NAME)
@Pattern(regexp = Name.PRINTABLE, message = Name.MESSAGE)
public @interface Name {

    /** Any code point but control characters (Unicode category Cc) and surrogates not part of a pair (Cs). */
    String PRINTABLE = "[^\\p{Cc}\\p{Cs}]*";

    String MESSAGE = "must not contain control characters or unpaired surrogates";

    String message() default MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
