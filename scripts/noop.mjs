// placeholder so the scripts project has an input
export {};
