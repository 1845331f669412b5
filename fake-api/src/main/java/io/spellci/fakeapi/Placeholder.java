package io.spellci.fakeapi;
class Placeholder {}
