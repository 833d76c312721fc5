package dev.vmm.sev.attest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Verifies an attestation report against its endorsement key and AMD's chain, running every check
 * even after failures so that the caller sees all that is wrong. Order: report format, key format,
 * product, ARK, ASK/ASVK, VCEK/VLEK, validity, signing key, report signature, REPORTED_TCB, CHIP_ID,
 * then the expected values. A check whose input is unusable fails with "not checked: ...".
 */
public final class ReportVerifier {
    private ReportVerifier() {}

    public static Verification verify(VerificationRequest q) {
        String role = ChainChecks.vekRole(q.vekKind());
        String vekCheck = role.toLowerCase(Locale.ROOT) + "-certificate";
        List<Check> checks = new ArrayList<>();

        Optional<VekCertificate> vek = Optional.empty();
        Check vekFormat;
        try {
            VekCertificate v = VekCertificate.parse(q.vekSource(), q.vek());
            vek = Optional.of(v);
            vekFormat = Check.pass(vekCheck, describe(v));
        } catch (AttestationFormatException e) {
            vekFormat = Check.fail(vekCheck, e.getMessage());
        }

        // A v2 report has no CPUID: its product (and so its TCB layout) comes from the user or the key.
        Optional<Product> hint = q.product();
        if (hint.isEmpty() && vek.isPresent()) {
            hint = ProductEvidence.fromKey(vek.get());
        }
        Optional<AttestationReport> report = Optional.empty();
        try {
            AttestationReport r = AttestationReport.parse(q.reportSource(), q.report(), hint);
            report = Optional.of(r);
            checks.add(Check.pass("report-format", "version " + r.version() + ", " + r.raw().length + " bytes, TCB layout "
                    + r.tcbLayout().label()));
        } catch (ReportFormatException e) {
            checks.add(Check.fail("report-format", e.getMessage()));
        }
        checks.add(vekFormat);

        ProductEvidence evidence = ProductEvidence.gather(q.product(), report, vek, role);
        checks.add(evidence.check());
        Optional<Product> product = evidence.chosen();
        Optional<AmdChain> chain = q.chain().or(() -> product.flatMap(AmdRoots::chain));
        if (chain.isPresent()) {
            checks.addAll(ChainChecks.run(chain.get(), product, q.vekKind(), vek, q.at()));
        } else {
            String why = product.map(p -> "no built-in AMD chain for " + p + "; give a chain file")
                    .orElse("no chain: the product is unknown; give the product or a chain file");
            for (String name : List.of("ark", ChainChecks.intermediateCheckName(q.vekKind()), ChainChecks.vekCheckName(q.vekKind()),
                    "validity")) {
                checks.add(Check.fail(name, why));
            }
        }

        if (report.isEmpty() || vek.isEmpty()) {
            String why = report.isEmpty() ? "not checked: the report did not parse" : "not checked: no usable " + role + " certificate";
            if (report.isPresent()) {
                checks.add(ReportChecks.signingKey(report.get(), q.vekKind()));
            } else {
                checks.add(Check.fail("signing-key", why));
            }
            for (String name : List.of("report-signature", "reported-tcb", "chip-id")) {
                checks.add(Check.fail(name, why));
            }
        } else {
            AttestationReport r = report.get();
            VekCertificate v = vek.get();
            checks.add(ReportChecks.signingKey(r, q.vekKind()));
            checks.add(ReportChecks.signature(r, v, role));
            checks.add(BindingChecks.tcb("REPORTED_TCB", r.reportedTcb(), v, role));
            checks.add(BindingChecks.chipId(r, v, q.vekKind()));
        }

        if (report.isPresent()) {
            checks.addAll(ReportChecks.expected(report.get(), q.expected()));
        } else {
            Expected e = q.expected();
            String why = "not checked: the report did not parse";
            e.measurement().ifPresent(x -> checks.add(Check.fail("measurement", why)));
            e.reportData().ifPresent(x -> checks.add(Check.fail("report-data", why)));
            e.hostData().ifPresent(x -> checks.add(Check.fail("host-data", why)));
        }
        return new Verification(checks);
    }

    private static String describe(VekCertificate v) {
        VekExtensions x = v.extensions();
        return v.subjectCn() + " issued by " + v.issuerCn() + ", productName " + x.productName().orElse("(none)")
                + ", SPLs " + (x.fmcSpl().isPresent() ? "fmc " + x.fmcSpl().getAsInt() + ", " : "")
                + "bl " + opt(x.blSpl()) + ", tee " + opt(x.teeSpl()) + ", snp " + opt(x.snpSpl()) + ", ucode " + opt(x.ucodeSpl())
                + x.hwId().map(h -> ", hwID " + h.length + " bytes").orElse(", no hwID")
                + x.cspId().map(c -> ", cspID " + c).orElse("");
    }

    private static String opt(OptionalInt v) {
        return v.isPresent() ? String.valueOf(v.getAsInt()) : "none";
    }
}
