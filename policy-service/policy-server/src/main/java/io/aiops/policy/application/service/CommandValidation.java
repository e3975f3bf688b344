package io.aiops.policy.application.service;

import io.aiops.policy.application.port.in.RequestRejected;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Set;

/** Runs the Bean Validation rules of a command and rejects it naming the first offending field. */
public final class CommandValidation {

  private final Validator validator;

  public CommandValidation(Validator validator) {
    this.validator = validator;
  }

  public void check(Object command) {
    Set<ConstraintViolation<Object>> violations = validator.validate(command);
    violations.stream()
        .min(Comparator.comparing((ConstraintViolation<Object> v) -> v.getPropertyPath().toString()))
        .ifPresent(
            v -> {
              String field = v.getPropertyPath().toString();
              throw RequestRejected.invalid(field, field + " " + v.getMessage());
            });
  }
}
