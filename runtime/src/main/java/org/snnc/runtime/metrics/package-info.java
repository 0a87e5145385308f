/** Segmentation metrics (confusion-matrix mIoU, pixel accuracy) and spike rates. */
package org.snnc.runtime.metrics;
