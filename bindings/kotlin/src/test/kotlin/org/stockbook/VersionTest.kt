package org.stockbook

import java.io.File
import kotlin.test.Test
import kotlin.test.assertEquals

/** STOCKBOOK_VERSION is the Rust workspace's version, which Maven filters into the jar. */
class VersionTest {
    @Test
    fun `the version is the workspace version of Cargo dot toml`() {
        val cargo = File(System.getProperty("stockbook.scenarios.dir"), "../../Cargo.toml").readText()
        val workspace = cargo.substring(cargo.indexOf("[workspace.package]"))
        val version = Regex("""(?m)^version = "([^"]+)"$""").find(workspace)!!.groupValues[1]
        assertEquals(version, STOCKBOOK_VERSION)
    }
}
