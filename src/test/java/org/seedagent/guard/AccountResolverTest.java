package org.seedagent.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.seedagent.support.SystemProcessRunner;

/** Names resolved by the real getent (the system's name services), ids taken as they are. */
class AccountResolverTest {
    private final AccountResolver resolver = new AccountResolver(new SystemProcessRunner());

    @Test
    void users_namesAndIds_resolvedWithGetent() throws Exception {
        AccountResolver.Resolution r = resolver.users(List.of("root", "nobody", "4242"));

        assertEquals(
                List.of(new Account("root", 0), new Account("nobody", 65534), new Account(null, 4242)), r.accounts());
        assertEquals(List.of(), r.unresolved());
    }

    @Test
    void groups_unknownName_reportedNotGuessed() throws Exception {
        AccountResolver.Resolution r = resolver.groups(List.of("root", "no-such-group-seed-agent"));

        assertEquals(List.of(new Account("root", 0)), r.accounts());
        assertEquals(List.of("group no-such-group-seed-agent (no such group)"), r.unresolved());
    }

    @Test
    void users_getentMissing_saysSo() throws Exception {
        AccountResolver.Resolution r =
                new AccountResolver(new SystemProcessRunner(), "/nonexistent/getent").users(List.of("root"));

        assertEquals(List.of(), r.accounts());
        assertTrue(
                r.unresolved().get(0).startsWith("user root (cannot run getent: "),
                r.unresolved().toString());
    }

    @Test
    void idFrom_takesTheNamedEntryOnly() {
        assertEquals(
                990,
                AccountResolver.idFrom("condor:x:990:990:Owner of HTCondor:/var/lib/condor:/sbin/nologin\n", "condor"));
        assertEquals(-1, AccountResolver.idFrom("other:x:1:1::/:/bin/sh\n", "condor"));
        assertEquals(-1, AccountResolver.idFrom("condor:x:-5:1::/:/bin/sh\n", "condor"));
        assertEquals(-1, AccountResolver.idFrom("condor:x:4294967295:1::/:/bin/sh\n", "condor"));
    }
}
