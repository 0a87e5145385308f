/**
 * The event-driven, cycle-level simulator of compiled programs, its dense reference engine, the
 * mesh network model and the energy models.
 */
package org.snnc.simulator;
