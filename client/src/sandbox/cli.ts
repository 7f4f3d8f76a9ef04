console.log('sandbox: not built yet');
