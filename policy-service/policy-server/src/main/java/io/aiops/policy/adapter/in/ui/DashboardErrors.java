package io.aiops.policy.adapter.in.ui;

import io.aiops.policy.application.port.in.RequestRejected;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Refusals on a page are pages too: 404, 403 or 400 with the reason, never a JSON problem or a stack trace. */
@ControllerAdvice(assignableTypes = DashboardController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class DashboardErrors {

    @ExceptionHandler(RequestRejected.class)
    String rejected(RequestRejected e, Model model, HttpServletResponse response) {
        HttpStatus status = switch (e.kind()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case CONFLICT -> HttpStatus.CONFLICT;
            case VALIDATION, UNKNOWN_MODEL -> HttpStatus.BAD_REQUEST;
        };
        return error(model, response, status, e.getMessage());
    }

    @ExceptionHandler({
        MethodArgumentTypeMismatchException.class,
        MissingServletRequestParameterException.class,
        HandlerMethodValidationException.class
    })
    String badParameter(Exception e, Model model, HttpServletResponse response) {
        return error(model, response, HttpStatus.BAD_REQUEST, "this page cannot be read from that address");
    }

    private static String error(Model model, HttpServletResponse response, HttpStatus status, String message) {
        response.setStatus(status.value());
        model.addAttribute("status", status.value());
        model.addAttribute("reason", status.getReasonPhrase());
        model.addAttribute("message", message);
        return "ui/error";
    }
}
