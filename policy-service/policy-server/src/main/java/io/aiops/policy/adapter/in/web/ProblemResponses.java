package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.aiops.policy.application.port.in.RequestRejected;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Turns every error into RFC 9457 problem+json with a stable type URI and, where one is at fault, the field. */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

  @ExceptionHandler(RequestRejected.class)
  ResponseEntity<ProblemDetail> rejected(RequestRejected e) {
    ProblemDetail problem =
        switch (e.kind()) {
          case VALIDATION -> Problems.of(HttpStatus.BAD_REQUEST, "validation", "Invalid request", e.getMessage(), e.field());
          case NOT_FOUND -> Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage(), e.field());
          case CONFLICT -> Problems.of(HttpStatus.CONFLICT, "conflict", "Conflict", e.getMessage(), e.field());
          case UNKNOWN_MODEL ->
              Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "unknown-model", "Unknown model", e.getMessage(), e.field());
          case FORBIDDEN -> Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage(), e.field());
        };
    return ResponseEntity.status(problem.getStatus()).body(problem);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
    ProblemDetail problem =
        Problems.of(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
            e.getName() + " is not a valid " + (e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName()),
            e.getName());
    return ResponseEntity.badRequest().body(problem);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    LOG.error("Unexpected error", e);
    ProblemDetail problem =
        Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
            "the request failed on the server; see its log", null);
    return ResponseEntity.internalServerError().body(problem);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String field = null;
    String detail = "the request body is not valid JSON for this endpoint";
    if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      field = JsonBodies.pathOf(mapping);
      detail = field + " has a value of the wrong type or an unknown value: " + mapping.getOriginalMessage();
    } else if (e.getCause() instanceof JsonMappingException mapping) {
      detail = "the request body does not fit this endpoint: " + mapping.getOriginalMessage();
    } else if (e.getCause() instanceof JsonProcessingException parsing) {
      detail = "malformed JSON: " + parsing.getOriginalMessage();
    } else if (e.getCause() == null) {
      detail = "a JSON request body is required";
    }
    ProblemDetail problem =
        Problems.of(HttpStatus.BAD_REQUEST, field == null ? "malformed-request" : "validation",
            field == null ? "Malformed request" : "Invalid request", detail, field);
    return ResponseEntity.badRequest().body(problem);
  }

  /** Spring MVC's own errors (405, 406, 415, unknown path, ...) keep their status and get a type URI. */
  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail problem && (problem.getType() == null
        || URI.create("about:blank").equals(problem.getType()))) {
      problem.setType(URI.create(Problems.BASE + "http-" + statusCode.value()));
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }
}
