package io.aiops.policy.adapter.in.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.api.AuditVerification;
import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.api.Name;
import io.aiops.policy.application.port.in.AlertRuleUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.AuditUseCase;
import io.aiops.policy.application.port.in.CallHistoryQuery;
import io.aiops.policy.application.port.in.DashboardQuery;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.domain.report.SpendDrivers;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The dashboard pages: overview, workflow, process instance, weekly review, budgets and alerts. Every figure comes
 * from the same use cases as the API, for the signed-in key's projects.
 */
@Controller
class DashboardController {

    private final DashboardQuery dashboards;
    private final CallHistoryQuery calls;
    private final AlertRuleUseCase alerts;
    private final AuditUseCase audit;
    private final ObjectMapper json;
    private final String operateUrl;
    /** A tracing UI's address of one trace, with {@code {traceId}} where the id goes; null: ids shown as text. */
    private final String traceUrl;

    DashboardController(
            DashboardQuery dashboards,
            CallHistoryQuery calls,
            AlertRuleUseCase alerts,
            AuditUseCase audit,
            ObjectMapper json,
            @Value("${aiops.ui.operate-url:}") String operateUrl,
            @Value("${aiops.ui.trace-url:}") String traceUrl) {
        this.dashboards = dashboards;
        this.calls = calls;
        this.alerts = alerts;
        this.audit = audit;
        this.json = json;
        this.operateUrl = operateUrl.endsWith("/") ? operateUrl.substring(0, operateUrl.length() - 1) : operateUrl;
        this.traceUrl = traceUrl.contains("{traceId}") ? traceUrl : null;
    }

    @GetMapping({"/ui", "/ui/"})
    String overview(@AuthenticationPrincipal ApiPrincipal principal, Model model) {
        DashboardQuery.Overview overview = dashboards.overview(principal);
        model.addAttribute("overview", overview);
        model.addAttribute("trendJson", chart(overview.trend()));
        return page(model, principal, "overview");
    }

    @GetMapping("/ui/workflows/{bpmnProcessId}")
    String workflow(
            @PathVariable @Name String bpmnProcessId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @AuthenticationPrincipal ApiPrincipal principal,
            Model model) {
        DashboardQuery.WorkflowView view = dashboards.workflow(bpmnProcessId, from, to, principal);
        model.addAttribute("view", view);
        model.addAttribute("chartJson", chart(view.byModel()));
        return page(model, principal, "workflow");
    }

    @GetMapping("/ui/workflows/{bpmnProcessId}/quality")
    String workflowQuality(
            @PathVariable @Name String bpmnProcessId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @AuthenticationPrincipal ApiPrincipal principal,
            Model model) {
        model.addAttribute("quality", dashboards.workflowQuality(bpmnProcessId, from, to, principal));
        return page(model, principal, "quality");
    }

    @GetMapping("/ui/instances/{processInstanceKey}")
    String instance(
            @PathVariable long processInstanceKey, @AuthenticationPrincipal ApiPrincipal principal, Model model) {
        List<CallRecord> records = calls.callsOfProcessInstance(processInstanceKey, principal);
        if (records.isEmpty()) {
            throw RequestRejected.notFound("no AI calls recorded for process instance " + processInstanceKey);
        }
        model.addAttribute("processInstanceKey", processInstanceKey);
        model.addAttribute("calls", records);
        model.addAttribute("texts", calls.textsOfProcessInstance(processInstanceKey, principal));
        model.addAttribute("project", records.getFirst().project());
        model.addAttribute("workflow", records.getFirst().bpmnProcessId());
        model.addAttribute(
                "totalCost",
                records.stream().map(CallRecord::costUsd).reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add));
        model.addAttribute(
                "operateLink", operateUrl.isBlank() ? null : operateUrl + "/processes/" + processInstanceKey);
        model.addAttribute("traceUrl", traceUrl);
        return page(model, principal, "instance");
    }

    /** Verifies the audit chain of the instance's project (on request: a long chain takes a while). */
    @GetMapping("/ui/instances/{processInstanceKey}/audit")
    String instanceAudit(
            @PathVariable long processInstanceKey, @AuthenticationPrincipal ApiPrincipal principal, Model model) {
        List<CallRecord> records = calls.callsOfProcessInstance(processInstanceKey, principal);
        if (records.isEmpty()) {
            throw RequestRejected.notFound("no AI calls recorded for process instance " + processInstanceKey);
        }
        Map<String, AuditVerification> verdicts = new LinkedHashMap<>();
        for (String project :
                new TreeSet<>(records.stream().map(CallRecord::project).toList())) {
            verdicts.put(project, audit.verify(project, principal));
        }
        model.addAttribute("processInstanceKey", processInstanceKey);
        model.addAttribute("verdicts", verdicts);
        return page(model, principal, "audit");
    }

    @GetMapping("/ui/weekly-review")
    String weeklyReview(
            @RequestParam(required = false) String week, @AuthenticationPrincipal ApiPrincipal principal, Model model) {
        model.addAttribute("review", dashboards.weeklyReview(week, principal));
        model.addAttribute("drivers", SpendDrivers.shown());
        return page(model, principal, "weekly");
    }

    /** The weekly review as one self-contained HTML file (styles inline, no scripts), to mail or archive. */
    @GetMapping("/ui/weekly-review/export")
    String exportWeeklyReview(
            @RequestParam(required = false) String week,
            @AuthenticationPrincipal ApiPrincipal principal,
            Model model,
            HttpServletResponse response) {
        DashboardQuery.WeeklyReview review = dashboards.weeklyReview(week, principal);
        model.addAttribute("review", review);
        model.addAttribute("drivers", SpendDrivers.shown());
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment()
                        .filename("ai-spend-week-" + review.weekStart() + ".html", StandardCharsets.UTF_8)
                        .build()
                        .toString());
        return "ui/weekly-export";
    }

    @GetMapping("/ui/budgets")
    String budgets(@AuthenticationPrincipal ApiPrincipal principal, Model model) {
        model.addAttribute("budgets", dashboards.budgets(principal));
        return page(model, principal, "budgets");
    }

    @GetMapping("/ui/alerts")
    String alerts(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @AuthenticationPrincipal ApiPrincipal principal,
            Model model) {
        List<FiredAlert> fired = alerts.alerts(from, to, null, principal);
        model.addAttribute("alerts", fired);
        model.addAttribute("rules", alerts.listRules(principal));
        return page(model, principal, "alerts");
    }

    private static String page(Model model, ApiPrincipal principal, String name) {
        model.addAttribute("principal", principal);
        model.addAttribute("pageName", name);
        return "ui/" + name;
    }

    /** A chart's data for the page script: days and one series of numbers per name. */
    private String chart(DashboardQuery.DailySeries series) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("days", series.days());
        data.put("series", series.costUsd());
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chart data could not be written", e);
        }
    }
}
