// SPDX-License-Identifier: Apache-2.0
/**
 * Events of a .scap capture printed exactly as sysdig 0.29.3 prints them: its default line
 * ({@link io.wiretop.trace.print.SysdigLine}) and its data-buffer renderings for Echo
 * ({@link io.wiretop.trace.print.DataText}).
 */
package io.wiretop.trace.print;
