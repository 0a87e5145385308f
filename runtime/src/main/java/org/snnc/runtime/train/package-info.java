/** The training loop (metrics log, checkpoints, periodic validation) and evaluation of a network on a data set. */
package org.snnc.runtime.train;
