/**
 * Optimisers (Adam with the AMSGrad option, SGD with momentum), the step learning-rate schedule
 * and gradient-norm clipping, each following PyTorch's update equations so that recipes carry over.
 */
package org.snnc.runtime.optim;
