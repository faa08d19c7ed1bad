package dev.ntpdeploy.cli;

import static dev.ntpdeploy.cli.VerifyIT.codes;
import static dev.ntpdeploy.cli.VerifyIT.finding;
import static dev.ntpdeploy.cli.VerifyIT.host;
import static dev.ntpdeploy.cli.VerifyIT.json;
import static dev.ntpdeploy.cli.VerifyIT.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ntpdeploy.Exit;
import dev.ntpdeploy.cli.ApplyIT.Run;
import dev.ntpdeploy.lab.Lab;
import dev.ntpdeploy.lab.LabExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master's end of the check from both ends on NTPsec masters (issue 15), on the default lab (all ntpsec): the
 * MRU list names hosts the inventory does not list (counted, information only). A client whose requests never
 * arrive is VerifyIT's dropped-UDP test (ntpsec master) and ChronyVerifyIT's (chrony master); a synced client is never
 * flagged (VerifyIT.assertEveryHostInSync, used after every lab change there); a master that keeps no list is
 * ChronyVerifyIT's `noclientlog` (NTPsec 1.2.2 refuses `disable monitor` while its built-in default restriction
 * has `limited`: it always keeps the list).
 */
@ExtendWith(LabExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BothEndsIT {

    @TempDir
    Path tmp;

    @Test
    @Order(1)
    void hostsTheMasterServesThatTheInventoryDoesNotListAreCountedAsInformation(Lab lab) throws IOException {
        VerifyIT.appliedAndInSync(lab);
        String gone = lab.clients().get(0);
        // the same lab without one client in the inventory: that client still polls the master
        String text = Files.readString(lab.inventory());
        String entry = "        " + gone + ":\n          ansible_host: " + lab.address(gone) + "\n";
        assertTrue(text.contains(entry), text);
        Path inv = tmp.resolve("without-" + gone + ".yml");
        Files.writeString(inv, text.replace(entry, ""));
        Run r = verify(lab, inv);
        JsonNode v = json(r);
        String all = v.toPrettyString();
        assertEquals(Exit.OK.code(), r.exit(), "information does not change the status: " + r.out() + r.err());
        assertEquals("OK", v.get("status").asText(), all);
        JsonNode f = finding(host(v, lab.master()), "CLIENTS_NOT_IN_INVENTORY");
        assertEquals("INFO", f.get("severity").asText(), all);
        assertTrue(f.get("message").asText().contains("served 1 host(s) the inventory does not list")
                && f.get("message").asText().contains(lab.address(gone)), all);
        for (String c : lab.clients().subList(1, lab.clients().size())) {
            assertFalse(codes(host(v, c)).contains("UNHEARD_BY_MASTER"), all);
        }
    }
}
