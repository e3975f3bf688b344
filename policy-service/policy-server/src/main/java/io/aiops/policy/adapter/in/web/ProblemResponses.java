package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.aiops.policy.adapter.in.web.FieldViolations.Violation;
import io.aiops.policy.application.port.in.RequestRejected;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Turns every error into RFC 9457 problem+json with a stable type URI and, where one is at fault, the field. */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    @ExceptionHandler(RequestRejected.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejected e) {
        ProblemDetail problem = problemOf(e);
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    /** The problem a use case's refusal is answered with: one status and type per kind. */
    static ProblemDetail problemOf(RequestRejected e) {
        return switch (e.kind()) {
            case VALIDATION ->
                Problems.of(HttpStatus.BAD_REQUEST, "validation", "Invalid request", e.getMessage(), e.field());
            case NOT_FOUND -> Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage(), e.field());
            case CONFLICT -> Problems.of(HttpStatus.CONFLICT, "conflict", "Conflict", e.getMessage(), e.field());
            case UNKNOWN_MODEL ->
                Problems.of(
                        HttpStatus.UNPROCESSABLE_ENTITY, "unknown-model", "Unknown model", e.getMessage(), e.field());
            case FORBIDDEN -> Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage(), e.field());
        };
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        ProblemDetail problem = Problems.of(
                HttpStatus.BAD_REQUEST,
                "validation",
                "Invalid request",
                e.getName() + " is not a valid "
                        + (e.getRequiredType() == null
                                ? "value"
                                : e.getRequiredType().getSimpleName()),
                e.getName());
        return ResponseEntity.badRequest().body(problem);
    }

    /**
     * The database went away mid-request (restarted, failed over, unreachable): the same request may pass in a moment,
     * and sending it again is safe (decisions and outcomes are idempotent). 503 with Retry-After, so callers retry
     * instead of treating it as a server bug.
     */
    @ExceptionHandler({
        DataAccessResourceFailureException.class,
        TransientDataAccessException.class,
        RecoverableDataAccessException.class,
        CannotCreateTransactionException.class,
        TransactionSystemException.class
    })
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) {
        LOG.warn("Database unavailable: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .body(databaseUnavailable());
    }

    /** The answer while the database is away: the caller sends the same request again. */
    static ProblemDetail databaseUnavailable() {
        return Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "database-unavailable",
                "Database unavailable",
                "the database is not reachable right now; send the request again (it is idempotent)",
                null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        LOG.error("Unexpected error", e);
        ProblemDetail problem = Problems.of(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                "the request failed on the server; see its log",
                null);
        return ResponseEntity.internalServerError().body(problem);
    }

    /** Bean Validation of a request body or a request parameter: every violation, the first one named. */
    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> violations(ConstraintViolationException e) {
        return invalid(
                e.getConstraintViolations().stream().map(FieldViolations::of).toList());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Violation> violations = new ArrayList<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            violations.add(violationOf(error, error.getField()));
        }
        return asObject(invalid(violations));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Violation> violations = new ArrayList<>();
        for (ParameterValidationResult result : e.getParameterValidationResults()) {
            if (result instanceof ParameterErrors errors) {
                for (FieldError error : errors.getFieldErrors()) {
                    violations.add(violationOf(error, error.getField()));
                }
                continue;
            }
            String name = requestName(result);
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                violations.add(new Violation(name, error.getDefaultMessage()));
            }
        }
        return asObject(invalid(violations));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = null;
        String type = "malformed-request";
        String detail = "the request body is not valid JSON for this endpoint";
        if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
            field = JsonBodies.pathOf(unknown);
            type = "validation";
            detail = JsonBodies.unknownField(field, unknown);
        } else if (e.getCause() instanceof JsonMappingException mapping
                && !mapping.getPath().isEmpty()) {
            field = JsonBodies.pathOf(mapping);
            type = "validation";
            detail = field + " has a value of the wrong type or an unknown value: " + mapping.getOriginalMessage();
        } else if (e.getCause() instanceof JsonMappingException mapping) {
            detail = "the request body does not fit this endpoint: " + mapping.getOriginalMessage();
        } else if (e.getCause() instanceof InputCoercionException range) {
            // a number too large for its field: Jackson reports it without a path, the parser still knows where it was
            field = fieldAt(range);
            type = "validation";
            detail = (field == null ? "a number" : field) + " is out of range: " + range.getOriginalMessage();
        } else if (e.getCause() instanceof StreamReadException parsing) {
            field = fieldAt(parsing);
            detail = "malformed JSON" + (field == null ? "" : " at " + field) + ": " + parsing.getOriginalMessage();
        } else if (e.getCause() instanceof JsonProcessingException parsing) {
            detail = "malformed JSON: " + parsing.getOriginalMessage();
        } else if (e.getCause() == null) {
            detail = "a JSON request body is required";
        }
        ProblemDetail problem = Problems.of(
                HttpStatus.BAD_REQUEST,
                type,
                type.equals("validation") ? "Invalid request" : "Malformed request",
                detail,
                field);
        return ResponseEntity.badRequest().body(problem);
    }

    private static ResponseEntity<ProblemDetail> invalid(List<Violation> unsorted) {
        return ResponseEntity.badRequest().body(invalidProblem(unsorted));
    }

    /** Broken Bean Validation rules: every violation in {@code errors}, the first one named in field and detail. */
    static ProblemDetail invalidProblem(List<Violation> unsorted) {
        List<Violation> violations = FieldViolations.sorted(unsorted);
        Violation first = violations.getFirst();
        ProblemDetail problem = Problems.of(
                HttpStatus.BAD_REQUEST,
                "validation",
                "Invalid request",
                first.field() + " " + first.message(),
                first.field().isEmpty() ? null : first.field());
        List<Map<String, String>> errors = new ArrayList<>();
        for (Violation v : violations) {
            Map<String, String> error = new LinkedHashMap<>();
            error.put("field", v.field());
            error.put("message", v.message());
            errors.add(error);
        }
        problem.setProperty("errors", errors);
        return problem;
    }

    /** The JSON path Bean Validation reports, or Spring's field name when the error did not come from it. */
    private static Violation violationOf(FieldError error, String springField) {
        if (error.contains(ConstraintViolation.class)) {
            Violation v = FieldViolations.of(error.unwrap(ConstraintViolation.class));
            if (!v.field().isEmpty()) {
                return v;
            }
        }
        return new Violation(springField, error.getDefaultMessage());
    }

    /** The name a path variable or query parameter has in the request, which may differ from the Java name. */
    private static String requestName(ParameterValidationResult result) {
        PathVariable path = result.getMethodParameter().getParameterAnnotation(PathVariable.class);
        if (path != null && !path.name().isEmpty()) {
            return path.name();
        }
        RequestParam param = result.getMethodParameter().getParameterAnnotation(RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        String name = result.getMethodParameter().getParameterName();
        return name == null ? "" : name;
    }

    /** Where the parser stood when it failed, as a JSON path ({@code attempts[0].inputTokens}), or null at the root. */
    private static String fieldAt(StreamReadException e) {
        JsonParser parser = e.getProcessor();
        if (parser == null) {
            return null;
        }
        List<String> segments = new ArrayList<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                segments.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                segments.addFirst("." + c.getCurrentName());
            }
        }
        String path = String.join("", segments);
        path = path.startsWith(".") ? path.substring(1) : path;
        return path.isEmpty() ? null : path;
    }

    @SuppressWarnings("unchecked")
    private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> response) {
        return (ResponseEntity<Object>) (ResponseEntity<?>) response;
    }

    /** Spring MVC's own errors (405, 406, 415, unknown path, ...) keep their status and get a type URI. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null || URI.create("about:blank").equals(problem.getType()))) {
            problem.setType(URI.create(Problems.BASE + "http-" + statusCode.value()));
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }
}
