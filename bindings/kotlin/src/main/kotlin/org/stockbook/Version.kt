// The artifact's version at run time, from the jar itself: Maven filters `project.version`
// (the Rust workspace's version, written into pom.xml by scripts/version.sh) into
// org/stockbook/version.properties, so there is no copy of it to keep by hand here.
package org.stockbook

import java.util.Properties

/** The version of this Stockbook artifact (and of the engine inside it), e.g. `"0.1.0"`. */
val STOCKBOOK_VERSION: String = Properties().run {
    val stream = StockbookException::class.java.getResourceAsStream("/org/stockbook/version.properties")
        ?: error("org/stockbook/version.properties is missing from the Stockbook jar")
    stream.use { load(it) }
    getProperty("version")
}
