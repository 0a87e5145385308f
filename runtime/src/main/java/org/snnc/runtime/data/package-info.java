/**
 * Data sets for training and evaluation, the {@code --data} spec that names them, and a
 * prefetching batch loader that prepares batches off the training thread.
 */
package org.snnc.runtime.data;
