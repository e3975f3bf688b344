package io.aiops.policy.adapter.in.ui;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page; Spring Security handles the form's POST (see {@link DashboardSecurity}). */
@Controller
class SignInController {

    @GetMapping(DashboardSecurity.LOGIN)
    String login() {
        return "ui/login";
    }
}
