/**
 * {@code init} without the command line: detecting what a project needs, writing its descriptor and rendering it
 * (all or nothing). Above {@code validate} (a team template that opens the boundary is refused before writing).
 */
package dev.claudedevc.init;
