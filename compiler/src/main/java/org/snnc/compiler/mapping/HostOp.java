package org.snnc.compiler.mapping;

/** A node that does not run on the cores, and why: the host computes it (or feeds it). */
public record HostOp(String node, String op, String why) {
}
