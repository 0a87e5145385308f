/**
 * The HTML report of a simulation ({@code snnc sim --report REPORT.html}): one self-contained
 * page of inline SVG charts and tables, built from a {@link org.snnc.simulator.SimReport}.
 * The page is well-formed XHTML so that tests can parse it with the JDK's XML parser.
 */
package org.snnc.simulator.report;
