package io.spellci.action.cli;
public final class Main { public static void main(String[] args) { System.out.println("spell-ci"); } }
