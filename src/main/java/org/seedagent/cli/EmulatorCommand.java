package org.seedagent.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.seedagent.emulator.MetadataEmulator;

/** {@code seed-agent emulator}: the built-in IMDSv2 emulator on its own, until interrupted. */
final class EmulatorCommand implements Command {
    @Override
    public String name() {
        return "emulator";
    }

    @Override
    public String summary() {
        return "run a local IMDSv2 emulator on 127.0.0.1 to try the agent without EC2";
    }

    @Override
    public String usage() {
        return """
                Usage: seed-agent emulator [--port N] [--public-ip ADDRESS | --no-public-ip] [--spot]
                                           [--scheduled-event CODE]... [--ec2] [--elastic-ip ADDRESS
                                           [--elastic-ip-held-by INSTANCE]] [--deny-ec2 ACTION]...

                Serves an IMDSv2 instance metadata service on 127.0.0.1 until interrupted (Ctrl-C).
                Point the agent at it with  metadata.endpoint = http://127.0.0.1:N  in a config file.
                Change the answers while it runs:
                  curl -X PUT --data 198.51.100.7 http://127.0.0.1:N/emulator/meta-data/public-ipv4
                  curl -X DELETE http://127.0.0.1:N/emulator/meta-data/public-ipv4     (now 404)
                  curl -X POST http://127.0.0.1:N/emulator/forget-tokens             (tokens now get 401)
                  curl http://127.0.0.1:N/emulator/stats                              (request counts)
                  curl -X PUT --data '[]' http://127.0.0.1:N/emulator/meta-data/events/maintenance/scheduled
                                                                                      (no scheduled events)
                  curl -X PUT --data '{"action": "terminate", "time": "2026-12-07T14:00:00Z"}' \\
                       http://127.0.0.1:N/emulator/meta-data/spot/instance-action     (a spot interruption
                                                                notice; the agent looks for it with --spot)
                  Every change is printed as it happens.

                  --port N             port to listen on (default 8169; 0 picks a free one)
                  --public-ip ADDRESS  initial public-ipv4 (default 203.0.113.10)
                  --no-public-ip       no public-ipv4 item (404)
                  --spot               instance-life-cycle = spot
                  --scheduled-event CODE announce a maintenance event a week ahead (instance-stop,
                                       instance-reboot, system-reboot, system-maintenance,
                                       instance-retirement); may be given more than once
                  --ec2                emulate the EC2 side too: the instance profile's credentials
                                       (iam/security-credentials/) and the EC2 Query API on the same port
                                       (ec2.endpoint = http://127.0.0.1:N); no Elastic IP
                  --elastic-ip ADDRESS the account has Elastic IP ADDRESS (implies --ec2); its allocation
                                       id is printed. After AssociateAddress, public-ipv4 shows it 2 s later
                  --elastic-ip-held-by INSTANCE  it is associated with INSTANCE at the start (this
                                       instance is i-0123456789abcdef0)
                  --deny-ec2 ACTION    the role may not make ACTION (DescribeAddresses, AssociateAddress):
                                       403 UnauthorizedOperation
                  curl -X POST --data 198.51.100.7 http://127.0.0.1:N/emulator/ec2/enable
                                       (the EC2 side with that Elastic IP, while it runs; prints its id)
                  With the EC2 side:
                  curl -X POST --data i-0fedcba9876543210 http://127.0.0.1:N/emulator/ec2/take-away
                                       (another instance takes the Elastic IP)
                """;
    }

    /**
     * An answer as a person reads it: as it is (a JSON notice stays JSON, not escaped JSON), quoted and escaped
     * only when it holds a control character (a hostile answer set by hand), cut at {@code max} characters.
     */
    static String shown(String value, int max) {
        if (value == null) {
            return "404";
        }
        if (org.seedagent.support.Text.hasControls(value)) {
            return org.seedagent.support.Text.quote(value, max);
        }
        return value.length() <= max ? value : value.substring(0, max) + "...";
    }

    private static String shown(String value) {
        return shown(value, 80);
    }

    private static final List<String> EVENT_CODES =
            List.of("instance-stop", "instance-reboot", "system-reboot", "system-maintenance", "instance-retirement");

    private static String eventCode(String code) throws UsageException {
        if (!EVENT_CODES.contains(code)) {
            throw new UsageException("emulator: --scheduled-event takes one of " + String.join(", ", EVENT_CODES)
                    + ", not \"" + code + "\"");
        }
        return code;
    }

    @Override
    public int run(CliContext context, List<String> arguments) throws UsageException, InterruptedException {
        int port = 8169;
        String publicIp = DemoCommand.DEFAULT_IP;
        boolean spot = false;
        List<String> events = new java.util.ArrayList<>();
        boolean ec2 = false;
        String elasticIp = null;
        String holder = null;
        java.util.Set<String> denied = new java.util.TreeSet<>();
        Arguments args = new Arguments(name(), arguments);
        while (args.hasNext()) {
            String option = args.option(args.next());
            switch (option) {
                case "--port" -> port = args.intValue(option, 0, 65535);
                case "--public-ip" -> publicIp = args.value(option);
                case "--no-public-ip" -> publicIp = null;
                case "--spot" -> spot = true;
                case "--scheduled-event" -> events.add(eventCode(args.value(option)));
                case "--ec2" -> ec2 = true;
                case "--elastic-ip" -> {
                    elasticIp = args.value(option);
                    if (org.seedagent.metadata.Ipv4Address.whyInvalid(elasticIp) != null) {
                        throw new UsageException(
                                "emulator: --elastic-ip takes an IPv4 address, not \"" + elasticIp + "\"");
                    }
                    ec2 = true;
                }
                case "--elastic-ip-held-by" -> holder = args.value(option);
                case "--deny-ec2" -> denied.add(args.value(option));
                default -> throw args.unknown(option);
            }
        }
        Map<String, String> items = MetadataEmulator.sampleInstance(publicIp);
        if (spot) {
            items.put("instance-life-cycle", "spot");
        }
        if (!events.isEmpty()) {
            items.put(
                    MetadataEmulator.SCHEDULED_EVENTS,
                    MetadataEmulator.scheduledEvents(events, context.clock().instant()));
        }
        MetadataEmulator emulator;
        try {
            emulator = MetadataEmulator.start(port, items, context.clock());
        } catch (IOException e) {
            context.err().println("seed-agent emulator: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
            return ExitCode.UNAVAILABLE;
        }
        if (!ec2) {
            context.out().println("IMDSv2 emulator listening on " + emulator.endpoint() + " (Ctrl-C to stop)");
        } else {
            String allocation = emulator.enableEc2(elasticIp, holder, denied);
            context.out().println("IMDSv2 emulator listening on " + emulator.endpoint() + " (Ctrl-C to stop)");
            context.out()
                    .println("EC2 emulator on " + emulator.endpoint()
                            + (elasticIp == null
                                    ? ", no Elastic IP"
                                    : ", Elastic IP " + elasticIp + " = " + allocation
                                            + (holder == null
                                                    ? " (not associated)"
                                                    : " (associated with " + holder + ")")));
        }
        // What it answers, and each change as it happens (issue 22: it only said that it listened).
        var out = context.out();
        out.println("Answers: public-ipv4 = " + shown(emulator.item("public-ipv4")) + ", instance-id = "
                + shown(emulator.item("instance-id")) + ", instance-life-cycle = "
                + shown(emulator.item("instance-life-cycle")) + ", iam/info = "
                + (emulator.item("iam/info") == null
                        ? "404 (no instance profile)"
                        : emulator.item("iam/security-credentials/") == null
                                ? "an instance profile, with no credentials (--ec2 serves them)"
                                : "an instance profile, with credentials")
                + ", spot/instance-action = " + shown(emulator.item("spot/instance-action"))
                + ", scheduled events = "
                + (emulator.item(MetadataEmulator.SCHEDULED_EVENTS) == null
                        ? "404"
                        : emulator.item(MetadataEmulator.SCHEDULED_EVENTS).equals("[]") ? "none" : "announced"));
        emulator.onChange((item, value) -> {
            out.println(
                    value == null ? "now: " + item + " = 404 (removed)" : "now: " + item + " = " + shown(value, 120));
            out.flush();
        });
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            emulator.close();
                            stopped.countDown();
                        },
                        "emulator-shutdown"));
        try {
            stopped.await();
        } finally {
            emulator.close(); // also when the wait is interrupted (a caller in the same JVM)
        }
        return ExitCode.OK;
    }
}
