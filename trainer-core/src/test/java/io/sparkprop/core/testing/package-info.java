/**
 * Test support shared by every trainer-core test (and by tests of other layers): {@link
 * io.sparkprop.core.testing.Golden} reads the PyTorch reference cases in the test resources ({@code golden/}),
 * and {@link io.sparkprop.core.testing.GradientCheck} compares a network's back-propagated
 * gradients with central finite differences.
 */
package io.sparkprop.core.testing;
