package io.aiops.policy.adapter.in.ui;

import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.SignInLinkUseCase;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Opens a one-time sign-in link: the GET shows a button (so a link preview or scanner that fetches the link does not
 * use it up), the POST (with its CSRF token) redeems the token and signs the browser in as the admin who asked for it.
 */
@Controller
class SignInLinkController {

    static final String PATH = "/ui/sign-in-link";

    private final SignInLinkUseCase links;
    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

    SignInLinkController(SignInLinkUseCase links) {
        this.links = links;
    }

    @GetMapping(PATH)
    String confirm(@RequestParam(required = false) String token, Model model) {
        model.addAttribute("token", token);
        return "ui/sign-in-link";
    }

    @PostMapping(PATH)
    String redeem(
            @RequestParam(required = false) String token, HttpServletRequest request, HttpServletResponse response) {
        Optional<ApiPrincipal> principal = links.redeem(token);
        if (principal.isEmpty()) {
            return "redirect:" + DashboardSecurity.LOGIN + "?linkUsed";
        }
        // a new session id, so a session id planted before the sign-in is worth nothing after it
        if (request.getSession(false) != null) {
            request.changeSessionId();
        }
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(DashboardSecurity.signedIn(principal.get()));
        holder.setContext(context);
        contexts.saveContext(context, request, response);
        return "redirect:/ui/";
    }
}
